print("weiquan: not yet")
