<#ftl output_format="plainText">
${msg("governedRecoveryAdminNoticeBody-" + kind, account, realmName, when, ip)}

${msg("governedRecoveryAdminNoticeFooter")}
