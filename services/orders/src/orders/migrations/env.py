from kit.migrations import run_env

from orders.adapters.orm import Base

run_env(Base.metadata)
