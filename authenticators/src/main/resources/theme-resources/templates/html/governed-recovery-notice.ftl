<#import "template.ftl" as layout>
<@layout.emailLayout>
<p>${msg("governedRecoveryNoticeBody", realmName, when, ip)}</p>
<p>${msg("governedRecoveryNoticeNotYou")} ${helpdesk}</p>
<#if notMe??>
<p id="governed-recovery-not-me">${msg("governedRecoveryNotMeMail")}<br><a href="${notMe}">${msg("governedRecoveryNotMeLink")}</a></p>
</#if>
</@layout.emailLayout>
