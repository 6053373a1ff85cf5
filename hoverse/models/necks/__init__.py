from .cfsm import CFSM
from .dbfam import DBFAM
from .graph_layers import ContactGCN, TopologyGCN, normalized_adjacency

__all__ = ['CFSM', 'DBFAM', 'ContactGCN', 'TopologyGCN', 'normalized_adjacency']
