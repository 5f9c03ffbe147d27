package dev.hotbind.jmx;

import dev.hotbind.bindretry.AddressRetries;
import java.util.List;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import javax.management.openmbean.TabularDataSupport;
import javax.management.openmbean.TabularType;

/** The {@code bindRetry} option's counts as open data: one row per address the application bound while in use. */
final class BindRetryViews {
    private static final String[] COLUMNS = {"address", "binds", "retries", "bound", "gaveUp", "waitingNow",
        "lastOutcome", "lastWaitMillis", "lastEndedAt"};

    static final TabularType ADDRESSES = Views.table("BindRetriesByAddress",
            "application binds that found their address in use", new String[] {"address"}, COLUMNS,
            new String[] {"host:port the application binds", "bind calls that found it in use and waited",
                "times those binds were run again", "waits that ended with the application's socket bound",
                "waits whose duration passed: the application got its exception",
                "application threads waiting in a bind for it now", "how the latest wait ended (empty: none has)",
                "how long the latest wait lasted", "when the latest wait ended"},
            new OpenType<?>[] {SimpleType.STRING, SimpleType.LONG, SimpleType.LONG, SimpleType.LONG,
                SimpleType.LONG, SimpleType.INTEGER, SimpleType.STRING, SimpleType.LONG, SimpleType.STRING});

    private BindRetryViews() {
    }

    static TabularDataSupport addresses(List<AddressRetries> addresses) {
        TabularDataSupport table = new TabularDataSupport(ADDRESSES);
        for (AddressRetries a : addresses) {
            table.put(Views.row(ADDRESSES, COLUMNS, a.address(), a.binds(), a.retries(), a.bound(), a.gaveUp(),
                    a.waitingNow(), a.lastOutcome(), a.lastWaitMillis(),
                    a.lastEndedAtMillis() == 0 ? "" : Views.time(a.lastEndedAtMillis())));
        }
        return table;
    }
}
