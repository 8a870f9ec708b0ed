<#import "template.ftl" as layout>
<@layout.emailLayout>
<p>${msg("governedRecoveryContactChangedBody-" + kind, realmName, old, new)}</p>
<p>${msg("governedRecoveryNoticeNotYou")}</p>
<#if notMe??>
<p id="governed-recovery-not-me">${msg("governedRecoveryNotMeMail")}<br><a href="${notMe}">${msg("governedRecoveryNotMeLink")}</a></p>
</#if>
</@layout.emailLayout>
