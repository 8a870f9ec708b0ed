<#import "template.ftl" as layout>
<@layout.emailLayout>
<p>${msg("governedRecoveryApprovalRequestBody", requester, realmName, when, ip, methods)}</p>
<p>${msg("governedRecoveryApprovalRequestLink", minutes)}</p>
<p><a href="${link}">${link}</a></p>
<p>${msg("governedRecoveryApprovalRequestNotYou")}</p>
</@layout.emailLayout>
