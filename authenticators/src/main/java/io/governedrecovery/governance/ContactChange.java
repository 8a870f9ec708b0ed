package io.governedrecovery.governance;

/**
 * A change of a recovery contact (email address or recovery phone number) seen in a profile update, waiting for its
 * transaction to commit.
 *
 * @param attribute the user-profile attribute ({@code email} or the phone attribute)
 * @param before    its value before the change ("" when it had none)
 * @param via       where the change came from (admin API, account console, a form)
 */
record ContactChange(String realmId, String userId, String attribute, String before, String via) {
}
