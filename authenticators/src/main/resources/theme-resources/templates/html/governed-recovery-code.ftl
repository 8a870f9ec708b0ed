<#import "template.ftl" as layout>
<@layout.emailLayout>
<p>${msg("governedRecoveryCodeBodyIntro", realmName)}</p>
<p style="font-size:1.6em;font-weight:bold;letter-spacing:.15em">${code}</p>
<p>${msg("governedRecoveryCodeBodyValidity", minutes?c)}</p>
<p>${msg("governedRecoveryCodeBodyNotYou")}</p>
</@layout.emailLayout>
