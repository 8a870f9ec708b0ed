<#import "template.ftl" as layout>
<@layout.registrationLayout displayInfo=false; section>
<!-- template: governed-recovery-lost.ftl -->
    <#if section = "header">
        ${msg("governedRecoveryLostTitle")}
    <#elseif section = "form">
        <p id="governed-recovery-lost-intro">${msg("governedRecoveryLostIntro")}</p>
        <form id="governed-recovery-lost-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post">
            <#list lost.methods as m>
                <div class="${properties.kcFormGroupClass!}">
                    <label><input type="checkbox" name="remove" value="${m}" id="governed-recovery-lost-${m}"/>
                        ${msg("governedRecoveryLost-" + m)}</label>
                </div>
            </#list>
            <button type="submit" name="action" value="continue" id="governed-recovery-lost-continue"
                    class="${properties.kcButtonPrimaryClass!} ${properties.kcButtonBlockClass!}">${msg("governedRecoveryLostContinue")}</button>
        </form>
    </#if>
</@layout.registrationLayout>
