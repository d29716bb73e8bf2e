# A 5 MiB rule file.
head: "rules: []\n"
repeat: "# padding padding padding padding padding padding padding padding\n"
times: 80000
tail: ""
