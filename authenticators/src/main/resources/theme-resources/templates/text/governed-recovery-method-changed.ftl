<#ftl output_format="plainText">
${msg("governedRecoveryMethodChangedBody-" + kind, realmName, msg(method))}

${msg("governedRecoveryMethodChangedWhen", when)}
${msg("governedRecoveryMethodChangedFrom", ip)}

${msg("governedRecoveryNoticeNotYou")}
<#if notMe??>

${msg("governedRecoveryNotMeMail")}
${notMe}
</#if>
