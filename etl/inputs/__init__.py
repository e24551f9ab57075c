"""Reading inputs: agency text files, JSON records and saved pages become releases or rejects (CONTRACT §1)."""
