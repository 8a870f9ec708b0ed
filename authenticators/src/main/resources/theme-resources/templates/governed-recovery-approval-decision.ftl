<#import "template.ftl" as layout>
<@layout.registrationLayout displayInfo=false; section>
<!-- template: governed-recovery-approval-decision.ftl -->
    <#if section = "header">
        ${msg("governedRecoveryDecisionTitle-" + decision.state)}
    <#elseif section = "form">
        <#if decision.state == "decide">
            <p id="governed-recovery-decision-intro">${msg("governedRecoveryDecisionIntro", decision.requester)}</p>
            <ul id="governed-recovery-decision-details">
                <li>${msg("governedRecoveryDecisionWhen", decision.when)}</li>
                <li>${msg("governedRecoveryDecisionIp", decision.ip)}</li>
                <li>${msg("governedRecoveryDecisionMethods", decision.methods)}</li>
                <li>${msg("governedRecoveryDecisionExpires", decision.expires)}</li>
            </ul>
            <p>${msg("governedRecoveryDecisionAdvice")}</p>
            <form id="governed-recovery-decision-form" class="${properties.kcFormClass!}" action="${decision.action}" method="post">
                <input type="hidden" name="key" value="${decision.key}"/>
                <button type="submit" name="decision" value="approve" id="governed-recovery-approve"
                        class="${properties.kcButtonPrimaryClass!} ${properties.kcButtonBlockClass!}">${msg("governedRecoveryDecisionApprove")}</button>
                <button type="submit" name="decision" value="deny" id="governed-recovery-deny"
                        class="${properties.kcButtonSecondaryClass!} ${properties.kcButtonBlockClass!}">${msg("governedRecoveryDecisionDeny")}</button>
            </form>
        <#else>
            <p id="governed-recovery-decision-result" data-state="${decision.state}">${msg("governedRecoveryDecisionText-" + decision.state)}</p>
        </#if>
    </#if>
</@layout.registrationLayout>
