<#import "template.ftl" as layout>
<@layout.registrationLayout displayInfo=false; section>
<!-- template: governed-recovery-waiting-cancel.ftl -->
    <#if section = "header">
        ${msg("governedRecoveryWaitingCancelTitle-" + cancel.state)}
    <#elseif section = "form">
        <#if cancel.state == "confirm">
            <p id="governed-recovery-waiting-cancel-what">${msg("governedRecoveryWaitingCancelWhat", cancel.when, cancel.notice)}</p>
            <form id="governed-recovery-waiting-cancel-form" class="${properties.kcFormClass!}" action="${cancel.action}" method="post">
                <input type="hidden" name="key" value="${cancel.key}"/>
                <button type="submit" id="governed-recovery-waiting-cancel-confirm"
                        class="${properties.kcButtonPrimaryClass!} ${properties.kcButtonBlockClass!}">${msg("governedRecoveryWaitingCancelConfirm")}</button>
            </form>
            <p>${msg("governedRecoveryWaitingCancelNotMe")}</p>
        <#else>
            <p id="governed-recovery-waiting-cancel-result" data-state="${cancel.state}">${msg("governedRecoveryWaitingCancelText-" + cancel.state)}</p>
            <#if cancel.helpdesk?has_content>
                <p>${msg("governedRecoveryNotMeHelpdesk", cancel.helpdesk)}</p>
            </#if>
        </#if>
    </#if>
</@layout.registrationLayout>
