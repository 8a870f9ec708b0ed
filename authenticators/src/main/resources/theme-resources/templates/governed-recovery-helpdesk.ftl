<#import "template.ftl" as layout>
<@layout.registrationLayout displayInfo=false; section>
<!-- template: governed-recovery-helpdesk.ftl -->
    <#if section = "header">
        <#if recovery.adminProcedure>${msg("governedRecoveryAdminProcedureTitle")}<#else>${msg("governedRecoveryHelpdeskTitle")}</#if>
    <#elseif section = "form">
        <p id="governed-recovery-helpdesk-intro"><#if recovery.introKey??>${msg(recovery.introKey, recovery.introArg)}<#elseif recovery.adminProcedure>${msg("governedRecoveryAdminProcedureIntro")}<#else>${msg("governedRecoveryHelpdeskIntro")}</#if></p>
        <p id="governed-recovery-helpdesk-text"><#if recovery.helpdeskText??>${recovery.helpdeskText}<#else>${msg("governedRecoveryHelpdeskText")}</#if></p>
        <#if recovery.helpdeskUrl??>
            <p><a id="governed-recovery-helpdesk-link" href="${recovery.helpdeskUrl}" rel="noreferrer noopener">${msg("governedRecoveryHelpdeskLink")}</a></p>
        </#if>
        <#if (recovery.waitingHours > 0)>
            <form id="governed-recovery-waiting-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post">
                <p id="governed-recovery-waiting-offer">${msg("governedRecoveryWaitingOffer", recovery.waitingHours?c)}</p>
                <button type="submit" name="action" value="wait" id="governed-recovery-wait"
                        class="${properties.kcButtonSecondaryClass!} ${properties.kcButtonBlockClass!}">${msg("governedRecoveryWaitingStart", recovery.waitingHours?c)}</button>
            </form>
        </#if>
        <p><a id="governed-recovery-back-to-login" href="${url.loginRestartFlowUrl}">${msg("backToLogin")}</a></p>
    </#if>
</@layout.registrationLayout>
