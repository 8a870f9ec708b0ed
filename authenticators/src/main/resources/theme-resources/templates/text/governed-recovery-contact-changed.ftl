<#ftl output_format="plainText">
${msg("governedRecoveryContactChangedBody-" + kind, realmName, old, new)}

${msg("governedRecoveryNoticeNotYou")}
<#if notMe??>

${msg("governedRecoveryNotMeMail")}
${notMe}
</#if>
