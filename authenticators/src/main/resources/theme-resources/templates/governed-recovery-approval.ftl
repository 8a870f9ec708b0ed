<#import "template.ftl" as layout>
<@layout.registrationLayout displayInfo=false; section>
<!-- template: governed-recovery-approval.ftl -->
    <#if section = "header">
        ${msg("governedRecoveryApprovalTitle-" + approval.state)}
    <#elseif section = "form">
        <p id="governed-recovery-approval-state" data-state="${approval.state}">${msg("governedRecoveryApprovalText-" + approval.state, approval.minutes?c)}</p>
        <#if approval.state == "waiting">
            <form id="governed-recovery-approval-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post">
                <button type="submit" name="action" value="check" id="governed-recovery-approval-check"
                        class="${properties.kcButtonPrimaryClass!} ${properties.kcButtonBlockClass!}">${msg("governedRecoveryApprovalCheck")}</button>
                <button type="submit" name="action" value="cancel" id="governed-recovery-approval-cancel"
                        class="${properties.kcButtonSecondaryClass!} ${properties.kcButtonBlockClass!}">${msg("governedRecoveryApprovalCancel")}</button>
            </form>
            <script>
                // Checks again every 10 seconds, as the "Check now" button does.
                setTimeout(function () { document.getElementById("governed-recovery-approval-check").click(); }, 10000);
            </script>
        <#else>
            <p><a id="governed-recovery-back-to-login" href="${url.loginRestartFlowUrl}">${msg("backToLogin")}</a></p>
        </#if>
    </#if>
</@layout.registrationLayout>
