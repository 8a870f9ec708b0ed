<#import "template.ftl" as layout>
<@layout.emailLayout>
<p>${msg("governedRecoveryContactChangedBody-" + kind, realmName, old, new)}</p>
<p>${msg("governedRecoveryNoticeNotYou")}</p>
</@layout.emailLayout>
