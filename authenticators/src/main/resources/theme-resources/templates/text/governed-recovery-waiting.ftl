<#ftl output_format="plainText">
${msg("governedRecoveryWaitingBody-" + stage, realmName, started, ip, ends)}

${msg("governedRecoveryWaitingEnds")}
<#if cancel??>

${msg("governedRecoveryWaitingCancelMail")}
${cancel}
</#if>
<#if notMe??>

${msg("governedRecoveryNotMeMail")}
${notMe}
</#if>
<#if helpdesk?has_content>

${msg("governedRecoveryNotMeHelpdesk", helpdesk)}
</#if>
