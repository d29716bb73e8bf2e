# A 5 MiB file: past the 4 MiB limit.
head: "goal:\n  priority: promotion\n"
repeat: "# padding padding padding padding padding padding padding padding\n"
times: 80000
tail: ""
