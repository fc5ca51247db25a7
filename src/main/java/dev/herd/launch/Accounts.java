package dev.herd.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Users and groups of this host, read from {@code /etc/passwd} and {@code /etc/group} (re-read when
 * a file changes). Accounts only a directory service knows (LDAP through NSS) are not seen: give
 * them as numeric ids. Herd and Zinit must share these files (same host or same image).
 */
public final class Accounts {
    /** One passwd entry. */
    public record User(String name, int uid, int gid) {
    }

    private final Path passwd;
    private final Path group;
    private Snapshot snapshot = new Snapshot(FileTime.fromMillis(0), FileTime.fromMillis(0), Map.of(), Map.of(), Map.of(), Map.of());

    private record Snapshot(FileTime passwdTime, FileTime groupTime, Map<String, User> usersByName, Map<Integer, User> usersById,
                            Map<String, Integer> groupsByName, Map<String, java.util.Set<Integer>> memberOf) {
    }

    public Accounts(Path passwd, Path group) {
        this.passwd = passwd;
        this.group = group;
    }

    public static Accounts system() {
        return new Accounts(Path.of("/etc/passwd"), Path.of("/etc/group"));
    }

    /** A user by name or numeric id; a numeric id without entry is a user of its own, without a group. */
    public Optional<User> user(String nameOrId) {
        Snapshot s = current();
        if (isNumeric(nameOrId)) {
            int uid = Integer.parseInt(nameOrId);
            return Optional.of(s.usersById().getOrDefault(uid, new User("", uid, -1)));
        }
        return Optional.ofNullable(s.usersByName().get(nameOrId));
    }

    /** A group id by name or numeric id. */
    public Optional<Integer> group(String nameOrId) {
        if (isNumeric(nameOrId)) {
            return Optional.of(Integer.parseInt(nameOrId));
        }
        return Optional.ofNullable(current().groupsByName().get(nameOrId));
    }

    /** The groups a process of {@code user} has after initgroups: its own and those that list it as a member. */
    public java.util.Set<Integer> groupsOf(User user) {
        java.util.Set<Integer> all = new java.util.HashSet<>(current().memberOf().getOrDefault(user.name(), java.util.Set.of()));
        if (user.gid() >= 0) {
            all.add(user.gid());
        }
        return all;
    }

    /** Known user names, for error messages. */
    public List<String> someUsers() {
        return current().usersByName().keySet().stream().sorted().limit(12).toList();
    }

    private static boolean isNumeric(String s) {
        return !s.isEmpty() && s.length() <= 9 && s.chars().allMatch(Character::isDigit);
    }

    private synchronized Snapshot current() {
        FileTime pt = modified(passwd);
        FileTime gt = modified(group);
        if (pt.equals(snapshot.passwdTime()) && gt.equals(snapshot.groupTime())) {
            return snapshot;
        }
        Map<String, User> byName = new HashMap<>();
        Map<Integer, User> byId = new HashMap<>();
        for (String[] f : entries(passwd, 4)) {
            try {
                User u = new User(f[0], Integer.parseInt(f[2]), Integer.parseInt(f[3]));
                byName.putIfAbsent(u.name(), u);
                byId.putIfAbsent(u.uid(), u);
            } catch (NumberFormatException e) {
                // a malformed line is skipped, as the C library does
            }
        }
        Map<String, Integer> groups = new HashMap<>();
        Map<String, java.util.Set<Integer>> memberOf = new HashMap<>();
        for (String[] f : entries(group, 3)) {
            try {
                int gid = Integer.parseInt(f[2]);
                groups.putIfAbsent(f[0], gid);
                if (f.length > 3 && !f[3].isBlank()) {
                    for (String member : f[3].split(",")) {
                        memberOf.computeIfAbsent(member.strip(), m -> new java.util.HashSet<>()).add(gid);
                    }
                }
            } catch (NumberFormatException e) {
                // skipped, as above
            }
        }
        snapshot = new Snapshot(pt, gt, Map.copyOf(byName), Map.copyOf(byId), Map.copyOf(groups), Map.copyOf(memberOf));
        return snapshot;
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private static List<String[]> entries(Path file, int minFields) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .map(l -> l.split(":", -1))
                    .filter(f -> f.length >= minFields)
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
