<#ftl output_format="plainText">
${msg("governedRecoveryCodeBodyIntro", realmName)}

${code}

${msg("governedRecoveryCodeBodyValidity", minutes?c)}

${msg("governedRecoveryCodeBodyNotYou")}
