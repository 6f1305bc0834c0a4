from kit.migrations import run_env

from leads.adapters.orm import Base

run_env(Base.metadata)
