<#import "template.ftl" as layout>
<@layout.emailLayout>
<p>${msg("governedRecoveryMethodChangedBody-" + kind, realmName, msg(method))}</p>
<p>${msg("governedRecoveryMethodChangedWhen", when)}<br>${msg("governedRecoveryMethodChangedFrom", ip)}</p>
<p>${msg("governedRecoveryNoticeNotYou")}</p>
<#if notMe??>
<p id="governed-recovery-not-me">${msg("governedRecoveryNotMeMail")}<br><a href="${notMe}">${msg("governedRecoveryNotMeLink")}</a></p>
</#if>
</@layout.emailLayout>
