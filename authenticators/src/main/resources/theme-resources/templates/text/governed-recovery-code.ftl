<#ftl output_format="plainText">
${msg(((purpose!"reset") == "contact")?then("governedRecoveryContactCodeBodyIntro", "governedRecoveryCodeBodyIntro"), realmName)}

${code}

${msg("governedRecoveryCodeBodyValidity", minutes?c)}

${msg(((purpose!"reset") == "contact")?then("governedRecoveryContactCodeBodyNotYou", "governedRecoveryCodeBodyNotYou"))}
