package dev.herd.desired;

/** What is wrong with a value and how to fix it, before the parser knows where the value stands. */
record Complaint(String message, String hint) {
}
