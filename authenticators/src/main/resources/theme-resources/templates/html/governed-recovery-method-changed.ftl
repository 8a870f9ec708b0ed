<#import "template.ftl" as layout>
<@layout.emailLayout>
<p>${msg("governedRecoveryMethodChangedBody-" + kind, realmName, msg(method))}</p>
<p>${msg("governedRecoveryMethodChangedWhen", when)}<br>${msg("governedRecoveryMethodChangedFrom", ip)}</p>
<p>${msg("governedRecoveryNoticeNotYou")}</p>
</@layout.emailLayout>
