<#import "template.ftl" as layout>
<@layout.registrationLayout displayInfo=false; section>
<!-- template: governed-recovery-not-me.ftl -->
    <#if section = "header">
        ${msg("governedRecoveryNotMeTitle-" + notMe.state)}
    <#elseif section = "form">
        <#if notMe.state == "confirm">
            <p id="governed-recovery-not-me-what">${msg("governedRecoveryNotMeWhat-" + notMe.notice, notMe.when)}</p>
            <p>${msg("governedRecoveryNotMeExplain")}</p>
            <form id="governed-recovery-not-me-form" class="${properties.kcFormClass!}" action="${notMe.action}" method="post">
                <input type="hidden" name="key" value="${notMe.key}"/>
                <button type="submit" id="governed-recovery-not-me-confirm"
                        class="${properties.kcButtonPrimaryClass!} ${properties.kcButtonBlockClass!}">${msg("governedRecoveryNotMeConfirm")}</button>
            </form>
            <p id="governed-recovery-not-me-was-me">${msg("governedRecoveryNotMeWasMe")}</p>
        <#else>
            <p id="governed-recovery-not-me-result" data-state="${notMe.state}">${msg("governedRecoveryNotMeText-" + notMe.state)}</p>
            <#if notMe.helpdesk?has_content>
                <p id="governed-recovery-not-me-helpdesk">${msg("governedRecoveryNotMeHelpdesk", notMe.helpdesk)}</p>
            </#if>
        </#if>
    </#if>
</@layout.registrationLayout>
