package dev.hotbind.registry;

/**
 * The inherited socket under a listener: the descriptor hotbind keeps it open on (a rebind after an
 * unbind puts it back) and where it came from, e.g. {@code fd 3 (http) [::]:8080}.
 */
public record InheritedFrom(int fd, String origin) {
}
