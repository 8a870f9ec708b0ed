<#import "template.ftl" as layout>
<@layout.registrationLayout displayInfo=false; section>
<!-- template: governed-recovery-done.ftl -->
    <#if section = "header">
        ${msg("governedRecoveryDoneTitle")}
    <#elseif section = "form">
        <div id="governed-recovery-done">
            <p id="governed-recovery-done-text">${msg("governedRecoveryDoneText")}</p>
            <#if done.removed?has_content>
                <p id="governed-recovery-done-removed">${msg("governedRecoveryDoneRemoved")}</p>
                <ul>
                    <#list done.removed as m>
                        <li id="governed-recovery-done-removed-${m}">${msg("governedRecoveryRemoved-" + m)}</li>
                    </#list>
                </ul>
            </#if>
            <p id="governed-recovery-done-next">${msg("governedRecoveryDoneNext")}</p>
            <p id="governed-recovery-done-not-you">${msg("governedRecoveryDoneNotYou")}</p>
            <a id="governed-recovery-done-sign-in" href="${url.loginRestartFlowUrl}"
               class="${properties.kcButtonPrimaryClass!} ${properties.kcButtonBlockClass!}">${msg("governedRecoveryDoneSignIn")}</a>
        </div>
    </#if>
</@layout.registrationLayout>
