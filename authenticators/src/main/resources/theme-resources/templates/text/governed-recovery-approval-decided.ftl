<#ftl output_format="plainText">
${msg("governedRecoveryApprovalDecidedBody-" + decision, realmName)}
