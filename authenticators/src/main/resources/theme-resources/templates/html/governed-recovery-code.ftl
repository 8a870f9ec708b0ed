<#import "template.ftl" as layout>
<@layout.emailLayout>
<p>${msg(((purpose!"reset") == "contact")?then("governedRecoveryContactCodeBodyIntro", "governedRecoveryCodeBodyIntro"), realmName)}</p>
<p style="font-size:1.6em;font-weight:bold;letter-spacing:.15em">${code}</p>
<p>${msg("governedRecoveryCodeBodyValidity", minutes?c)}</p>
<p>${msg(((purpose!"reset") == "contact")?then("governedRecoveryContactCodeBodyNotYou", "governedRecoveryCodeBodyNotYou"))}</p>
</@layout.emailLayout>
