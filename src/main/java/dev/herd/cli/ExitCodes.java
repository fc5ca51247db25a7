package dev.herd.cli;

/** The exit codes every command shares, so scripts and CI can branch on them. */
final class ExitCodes {
    /** All is as desired (or the check passed). */
    static final int OK = 0;
    /** The check found something not as desired: a pool not Ready, pending actions, invalid files. */
    static final int NOT_AS_DESIRED = 1;
    /** Bad usage, or Herd could not be asked. */
    static final int UNUSABLE = 2;

    private ExitCodes() {
    }
}
