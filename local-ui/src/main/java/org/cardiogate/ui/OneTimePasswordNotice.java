package org.cardiogate.ui;

import java.nio.file.Path;

/**
 * Tells the installer the one-time password created on first start. Called once, on the thread that starts the
 * server, when no credential file existed. The default prints to standard output (the console, or the journal under
 * systemd); it is shown nowhere else and only its salted hash is stored.
 */
@FunctionalInterface
public interface OneTimePasswordNotice {
    OneTimePasswordNotice STDOUT = (user, password, file) -> System.out.println(
            "CardioGate local page: first start. Log in as '" + user + "' with the one-time password " + password
                    + " and choose a new password. (Only a salted hash is kept, in " + file + ".)");

    void show(String user, String password, Path credentialFile);
}
