<#import "template.ftl" as layout>
<@layout.emailLayout>
<p>${msg("governedRecoveryNoticeBody", realmName, when, ip)}</p>
<p>${msg("governedRecoveryNoticeNotYou")} ${helpdesk}</p>
</@layout.emailLayout>
