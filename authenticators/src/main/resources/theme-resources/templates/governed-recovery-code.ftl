<#import "template.ftl" as layout>
<@layout.registrationLayout displayInfo=true; section>
<!-- template: governed-recovery-code.ftl -->
    <#if section = "header">
        ${msg("governedRecoveryMethod-" + recovery.active)}
    <#elseif section = "form">
        <p id="governed-recovery-instruction">${msg(recovery.instruction, (recovery.instructionArgs[0])!"")}</p>
        <#if recovery.destination??>
            <p id="governed-recovery-destination">${msg("governedRecoverySentTo", recovery.destination)}</p>
        </#if>
        <form id="governed-recovery-code-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post" novalidate="novalidate">
            <div class="${properties.kcFormGroupClass!}">
                <div class="${properties.kcFormGroupLabelClass!}">
                    <label for="code" class="${properties.kcFormLabelClass!}">
                        <span class="${properties.kcFormLabelTextClass!}">${msg("governedRecoveryCodeLabel")}</span>
                    </label>
                </div>
                <span class="${properties.kcInputClass!}">
                    <input id="code" name="code" type="text" autocomplete="one-time-code" inputmode="${recovery.inputMode}"
                           maxlength="64" autofocus aria-describedby="governed-recovery-instruction"/>
                </span>
            </div>
            <div class="${properties.kcFormGroupClass!}">
                <div class="${properties.kcFormActionGroupClass!}">
                    <button type="submit" name="action" value="verify" id="governed-recovery-verify"
                            class="${properties.kcButtonPrimaryClass!} ${properties.kcButtonBlockClass!}">${msg("governedRecoveryVerify")}</button>
                    <#if recovery.resendable>
                        <button type="submit" name="action" value="resend" id="governed-recovery-resend"
                                class="${properties.kcButtonSecondaryClass!} ${properties.kcButtonBlockClass!}">${msg("governedRecoveryResend")}</button>
                    </#if>
                    <button type="submit" name="action" value="back" id="governed-recovery-back"
                            class="${properties.kcButtonSecondaryClass!} ${properties.kcButtonBlockClass!}">${msg("governedRecoveryOtherMethod")}</button>
                </div>
            </div>
        </form>
    <#elseif section = "info">
        <#include "governed-recovery-helpdesk-link.ftl">
    </#if>
</@layout.registrationLayout>
