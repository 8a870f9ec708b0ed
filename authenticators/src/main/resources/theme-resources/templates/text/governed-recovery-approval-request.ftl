<#ftl output_format="plainText">
${msg("governedRecoveryApprovalRequestBody", requester, realmName, when, ip, methods)}

${msg("governedRecoveryApprovalRequestLink", minutes)}
${link}

${msg("governedRecoveryApprovalRequestNotYou")}
