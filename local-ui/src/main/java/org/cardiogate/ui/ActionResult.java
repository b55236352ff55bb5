package org.cardiogate.ui;

/**
 * The outcome of an action asked for from the page (acknowledge, silence, start a recording, ...).
 *
 * @param accepted whether it was done
 * @param id       the id of what was created or acted on (e.g. a new recording), or {@code null}
 * @param reason   why it was refused, or a short confirmation; shown to the user
 */
public record ActionResult(boolean accepted, String id, String reason) {
    public ActionResult {
        reason = reason == null ? "" : reason;
    }

    public static ActionResult done(String id) {
        return new ActionResult(true, id, "");
    }

    public static ActionResult refused(String reason) {
        return new ActionResult(false, null, reason);
    }
}
