<#import "template.ftl" as layout>
<@layout.registrationLayout displayInfo=false; section>
<!-- template: governed-recovery-contact.ftl -->
    <#if section = "header">
        ${msg("governedRecoveryContactTitle-" + contact.kind)}
    <#elseif section = "form">
        <form id="governed-recovery-contact-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post" novalidate="novalidate">
            <input type="hidden" name="stage" value="${contact.stage}"/>
            <#if contact.stage == "frozen">
                <p id="governed-recovery-contact-frozen">${msg("governedRecoveryContactFrozen")}</p>
            <#elseif contact.stage == "step-up">
                <#if contact.stepUps?has_content>
                    <p id="governed-recovery-contact-intro">${msg("governedRecoveryContactStepUpIntro")}</p>
                    <#list contact.stepUps as m>
                        <button type="submit" name="method" value="${m}" id="governed-recovery-contact-method-${m}"
                                class="${properties.kcButtonSecondaryClass!} ${properties.kcButtonBlockClass!}">${msg("governedRecoveryContactStepUp-" + m)}</button>
                    </#list>
                <#else>
                    <p id="governed-recovery-contact-none">${msg("governedRecoveryContactNoStepUp")}</p>
                </#if>
            <#elseif contact.stage == "step-up-code" || contact.stage == "confirm">
                <#if contact.stage == "confirm"><p id="governed-recovery-contact-intro">${msg("governedRecoveryContactConfirmIntro", msg("governedRecoveryContactKind-" + contact.kind))}</p></#if>
                <div class="${properties.kcFormGroupClass!}">
                    <label for="code" class="${properties.kcLabelClass!}">${msg("governedRecoveryContactEnterCode")}</label>
                    <input type="text" id="code" name="code" autocomplete="one-time-code" maxlength="64" class="${properties.kcInputClass!}" autofocus/>
                </div>
                <button type="submit" name="action" value="verify" id="governed-recovery-contact-verify"
                        class="${properties.kcButtonPrimaryClass!} ${properties.kcButtonBlockClass!}">${msg("governedRecoveryContactConfirm")}</button>
            <#elseif contact.stage == "enter">
                <div class="${properties.kcFormGroupClass!}">
                    <label for="value" class="${properties.kcLabelClass!}">${msg("governedRecoveryContactEnter-" + contact.kind)}</label>
                    <input type="<#if contact.kind == "email">email<#else>tel</#if>" id="value" name="value" maxlength="254" class="${properties.kcInputClass!}" autofocus/>
                </div>
                <button type="submit" name="action" value="send" id="governed-recovery-contact-send"
                        class="${properties.kcButtonPrimaryClass!} ${properties.kcButtonBlockClass!}">${msg("governedRecoveryContactSendCode")}</button>
            </#if>
            <button type="submit" name="action" value="cancel" id="governed-recovery-contact-cancel"
                    class="${properties.kcButtonSecondaryClass!} ${properties.kcButtonBlockClass!}">${msg("governedRecoveryContactCancel")}</button>
        </form>
    </#if>
</@layout.registrationLayout>
