<#import "template.ftl" as layout>
<@layout.registrationLayout displayInfo=false; section>
<!-- template: governed-recovery-register.ftl -->
    <#if section = "header">
        <#if register.meets>${msg("governedRecoveryRegisterReviewTitle")}<#else>${msg("governedRecoveryRegisterTitle")}</#if>
    <#elseif section = "form">
        <#if register.meets>
            <p id="governed-recovery-register-intro">${msg("governedRecoveryRegisterReviewIntro")}</p>
        <#else>
            <p id="governed-recovery-register-intro">${msg("governedRecoveryRegisterIntro", register.required?c, register.requiredStrong?c)}</p>
        </#if>
        <#if register.methods?has_content>
            <p>${msg("governedRecoveryRegisterHave")}</p>
            <ul id="governed-recovery-register-methods">
                <#list register.methods as m><li>${msg("governedRecoveryMethod-" + m)}</li></#list>
            </ul>
        <#else>
            <p id="governed-recovery-register-none">${msg("governedRecoveryRegisterNone")}</p>
        </#if>
        <form id="governed-recovery-register-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post">
            <#list register.registrations as r>
                <button type="submit" name="action" value="register:${r}" id="governed-recovery-register-${r}"
                        class="${properties.kcButtonSecondaryClass!} ${properties.kcButtonBlockClass!}">${msg("governedRecoveryRegister-" + r)}</button>
            </#list>
            <#if register.meets>
                <button type="submit" name="action" value="confirm" id="governed-recovery-register-confirm"
                        class="${properties.kcButtonPrimaryClass!} ${properties.kcButtonBlockClass!}">${msg("governedRecoveryRegisterConfirm")}</button>
            <#elseif register.snoozesLeft gt 0>
                <button type="submit" name="action" value="later" id="governed-recovery-register-later"
                        class="${properties.kcButtonPrimaryClass!} ${properties.kcButtonBlockClass!}">${msg("governedRecoveryRegisterLater", register.snoozesLeft?c)}</button>
                <#if register.deadline??><p>${msg("governedRecoveryRegisterDeadline", register.deadline)}</p></#if>
            <#else>
                <p id="governed-recovery-register-required">${msg("governedRecoveryRegisterRequired")}</p>
            </#if>
        </form>
    </#if>
</@layout.registrationLayout>
