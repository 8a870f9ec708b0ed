<#import "template.ftl" as layout>
<@layout.emailLayout>
<p>${msg("governedRecoveryWaitingBody-" + stage, realmName, started, ip, ends)}</p>
<p>${msg("governedRecoveryWaitingEnds")}</p>
<#if cancel??>
<p id="governed-recovery-waiting-cancel">${msg("governedRecoveryWaitingCancelMail")}<br><a href="${cancel}">${msg("governedRecoveryWaitingCancelLink")}</a></p>
</#if>
<#if notMe??>
<p id="governed-recovery-not-me">${msg("governedRecoveryNotMeMail")}<br><a href="${notMe}">${msg("governedRecoveryNotMeLink")}</a></p>
</#if>
<#if helpdesk?has_content>
<p>${msg("governedRecoveryNotMeHelpdesk", helpdesk)}</p>
</#if>
</@layout.emailLayout>
