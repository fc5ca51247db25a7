package dev.herd.cgroup;

/** The cgroup controllers Herd uses, by their kernel names. */
public enum Controller {
    MEMORY("memory"), CPU("cpu"), PIDS("pids");

    private final String kernelName;

    Controller(String kernelName) {
        this.kernelName = kernelName;
    }

    public String kernelName() {
        return kernelName;
    }
}
