from kit.migrations import run_env

from customer.adapters.orm import Base

run_env(Base.metadata)
