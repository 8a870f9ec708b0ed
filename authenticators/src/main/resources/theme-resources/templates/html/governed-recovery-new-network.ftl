<#import "template.ftl" as layout>
<@layout.emailLayout>
<p>${msg("governedRecoveryNewNetworkBody", realmName, when, network, ip, application)}</p>
<#if notMe??>
<p id="governed-recovery-not-me">${msg("governedRecoveryNotMeMail")}<br><a href="${notMe}">${msg("governedRecoveryNotMeLink")}</a></p>
</#if>
</@layout.emailLayout>
