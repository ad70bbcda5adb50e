/**
 * Immutable values shared by every stage: {@link tierd.model.NodeSet} (the kernel's nodelist),
 * {@link tierd.model.AddressRange} ({@code [start,end)} in bytes), {@link tierd.model.MemPolicy} (a
 * VMA's or task's mempolicy as the kernel prints it), {@link tierd.model.DataSize}.
 *
 * <p>Units: addresses and sizes are bytes; page counts are named {@code pages} and come with the
 * page size in bytes they count in. Node ids are checked to be in {@code [0, MAX_NUMNODES)} on
 * entry so that every NodeSet can become a C nodemask.
 *
 * <p>Parsing a value from the kernel's text (a nodelist, a mask, a policy) fails with {@link
 * tierd.model.MalformedValueException} (line, token, what is wrong); this package depends on no
 * other, so the readers in {@code tierd.source.*} turn it into their {@code KernelFsException},
 * which adds the file.
 */
package tierd.model;
