<#-- The way out, on every recovery page: the realm's helpdesk, and a button to say the methods cannot be used. -->
<div id="governed-recovery-way-out" class="${properties.kcFormGroupClass!}">
    <form id="governed-recovery-helpdesk-form" action="${url.loginAction}" method="post">
        <input type="hidden" name="action" value="helpdesk"/>
        <button type="submit" id="governed-recovery-cannot-use" class="${properties.kcButtonLinkClass!'pf-v5-c-button pf-m-link'}">${msg("governedRecoveryCannotUse")}</button>
    </form>
</div>
