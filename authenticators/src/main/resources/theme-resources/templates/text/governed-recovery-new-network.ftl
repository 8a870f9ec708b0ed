<#ftl output_format="plainText">
${msg("governedRecoveryNewNetworkBody", realmName, when, network, ip, application)}
<#if notMe??>

${msg("governedRecoveryNotMeMail")}
${notMe}
</#if>
