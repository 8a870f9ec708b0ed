<#import "template.ftl" as layout>
<@layout.emailLayout>
<p>${msg("governedRecoveryApprovalDecidedBody-" + decision, realmName)}</p>
</@layout.emailLayout>
