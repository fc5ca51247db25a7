package dev.herd.soak;

/** What the soak's driver does to the fleet; every one but a job burst is followed by a convergence wait. */
enum Action {
    EDIT_REPLICAS("edit: replicas of the fixed pool"),
    EDIT_TEMPLATE("edit: template (rolling update)"),
    EDIT_INVALID("edit: invalid file, then restored"),
    KILL_WORKER("SIGKILL a worker"),
    FREEZE_WORKER("SIGSTOP a worker (ping health)"),
    KILL_HERD("SIGKILL Herd, start it again"),
    HOST_RESTART("host restart: SIGKILL zinit-server and its services"),
    ZINIT_RESTART("graceful zinit-server restart"),
    REDIS_RESTART("Redis restart (down 1-5 s)");

    final String label;

    Action(String label) {
        this.label = label;
    }

    /** Whether Zinit starts every service again, so foreign services get new pids (not Herd's doing). */
    boolean restartsZinit() {
        return this == HOST_RESTART || this == ZINIT_RESTART;
    }
}
