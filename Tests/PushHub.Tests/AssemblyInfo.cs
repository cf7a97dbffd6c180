// WebApplicationFactory finds the host that Program builds through a process-wide diagnostic
// listener; two factories starting at the same moment can catch each other's host.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
