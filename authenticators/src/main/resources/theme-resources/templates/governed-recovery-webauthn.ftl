<#import "template.ftl" as layout>
<@layout.registrationLayout displayInfo=true; section>
<!-- template: governed-recovery-webauthn.ftl -->
    <#if section = "header">
        ${msg("governedRecoveryMethod-webauthn")}
    <#elseif section = "form">
        <p id="governed-recovery-instruction">${msg("governedRecoveryWebAuthnInstruction")}</p>
        <form id="webauth" action="${url.loginAction}" method="post" hidden="hidden">
            <input type="hidden" name="action" value="verify"/>
            <input type="hidden" id="clientDataJSON" name="clientDataJSON"/>
            <input type="hidden" id="authenticatorData" name="authenticatorData"/>
            <input type="hidden" id="signature" name="signature"/>
            <input type="hidden" id="credentialId" name="credentialId"/>
            <input type="hidden" id="userHandle" name="userHandle"/>
            <input type="hidden" id="error" name="error"/>
        </form>
        <div class="${properties.kcFormGroupClass!}">
            <div class="${properties.kcFormActionGroupClass!}">
                <button type="button" id="governed-recovery-use-key"
                        class="${properties.kcButtonPrimaryClass!} ${properties.kcButtonBlockClass!}">${msg("governedRecoveryUseKey")}</button>
                <form action="${url.loginAction}" method="post">
                    <button type="submit" name="action" value="back" id="governed-recovery-back"
                            class="${properties.kcButtonSecondaryClass!} ${properties.kcButtonBlockClass!}">${msg("governedRecoveryOtherMethod")}</button>
                </form>
            </div>
        </div>
        <script type="module">
            <#outputformat "JavaScript">
            import { authenticateByWebAuthn } from "${url.resourcesPath}/js/webauthnAuthenticate.js";
            document.getElementById("governed-recovery-use-key").addEventListener("click", function () {
                authenticateByWebAuthn({
                    isUserIdentified: false,
                    challenge: ${challenge?c},
                    userVerification: ${userVerification?c},
                    rpId: ${rpId?c},
                    createTimeout: ${createTimeout?c},
                    errmsg: ${msg("webauthn-unsupported-browser-text")?c}
                });
            });
            </#outputformat>
        </script>
    <#elseif section = "info">
        <#include "governed-recovery-helpdesk-link.ftl">
    </#if>
</@layout.registrationLayout>
