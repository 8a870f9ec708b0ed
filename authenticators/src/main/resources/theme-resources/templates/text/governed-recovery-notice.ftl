<#ftl output_format="plainText">
${msg("governedRecoveryNoticeBody", realmName, when, ip)}

${msg("governedRecoveryNoticeNotYou")} ${helpdesk}
<#if notMe??>

${msg("governedRecoveryNotMeMail")}
${notMe}
</#if>
