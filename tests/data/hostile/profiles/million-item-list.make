# A 2 MB list of a million items.
head: "goal:\n  priority: promotion\nactivities: ["
repeat: "1,"
times: 1000000
tail: "1]\n"
