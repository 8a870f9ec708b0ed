<#import "template.ftl" as layout>
<@layout.registrationLayout displayInfo=true; section>
<!-- template: governed-recovery-methods.ftl -->
    <#if section = "header">
        ${msg("governedRecoveryMethodsTitle")}
    <#elseif section = "form">
        <#-- Before the first proof the page is the same for every account, so it cannot say what this account needs. -->
        <#if recovery.proven == 0>
        <p id="governed-recovery-policy">${msg("governedRecoveryPolicyIntroFirst")}</p>
        <#else>
        <#-- After a proof: what the server counts, why a proof does not count (yet), and what is still missing. -->
        <#if recovery.strongOnly>
        <p id="governed-recovery-policy">${msg("governedRecoveryPolicyIntroStrong", recovery.required?c)}</p>
        <p id="governed-recovery-progress">${msg("governedRecoveryProgressStrong", recovery.strongCounted?c, recovery.required?c)}</p>
        <#else>
        <p id="governed-recovery-policy">${msg("governedRecoveryPolicyIntro", recovery.required?c, recovery.requiredStrong?c)}</p>
        <p id="governed-recovery-progress">${msg("governedRecoveryProgress", recovery.counted?c, recovery.required?c)}</p>
        </#if>
        <#list recovery.notCounting as n>
        <p id="governed-recovery-not-counting-${n.methodId}">${msg("governedRecoveryNotCounting-" + n.reason, msg("governedRecoveryMethod-" + n.methodId), recovery.cooldownHours?c)}</p>
        </#list>
        <#if recovery.strongMissing gt 0>
        <p id="governed-recovery-missing-strong">${msg("governedRecoveryMissingStrong", recovery.strongMissing?c)}</p>
        </#if>
        <#if recovery.otherMissing gt 0>
        <p id="governed-recovery-missing">${msg("governedRecoveryMissingAny", recovery.otherMissing?c)}</p>
        </#if>
        </#if>
        <form id="governed-recovery-methods-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post">
            <input type="hidden" name="action" value="select"/>
            <ul class="${properties.kcSelectAuthListClass!}" role="list">
                <#list recovery.methods as m>
                    <li class="${properties.kcSelectAuthListItemWrapperClass!}">
                        <button type="submit" name="method" value="${m.id}" id="governed-recovery-method-${m.id}"
                                class="${properties.kcButtonSecondaryClass!} ${properties.kcButtonBlockClass!}"<#if m.verified> disabled</#if>>
                            ${msg("governedRecoveryMethod-" + m.id)}<#if m.strong> &middot; ${msg("governedRecoveryStrong")}</#if><#if m.verified> &check; ${msg("governedRecoveryVerified")}</#if>
                        </button>
                        <p class="${properties.kcInputHelperTextItemTextClass!}">${msg("governedRecoveryMethodHint-" + m.id)}</p>
                    </li>
                </#list>
            </ul>
        </form>
    <#elseif section = "info">
        <#include "governed-recovery-helpdesk-link.ftl">
    </#if>
</@layout.registrationLayout>
