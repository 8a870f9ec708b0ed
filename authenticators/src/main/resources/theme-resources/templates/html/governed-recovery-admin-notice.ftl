<#import "template.ftl" as layout>
<@layout.emailLayout>
<p>${msg("governedRecoveryAdminNoticeBody-" + kind, account, realmName, when, ip)}</p>
<p>${msg("governedRecoveryAdminNoticeFooter")}</p>
</@layout.emailLayout>
